using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using Zoo.Convert.Commands;

namespace Zoo.Convert.Output;

/// <summary>The standard help, followed by the examples of the command it was asked for.</summary>
internal sealed class HelpWithExamples(HelpAction standard) : SynchronousCommandLineAction
{
    /// <inheritdoc/>
    public override bool ClearsParseErrors => true;

    /// <inheritdoc/>
    public override int Invoke(ParseResult parseResult)
    {
        standard.Invoke(parseResult);
        var examples = parseResult.CommandResult.Command.Name switch
        {
            InspectCommand.Name => InspectCommand.Examples,
            ConvertCommand.Name => ConvertCommand.Examples,
            DemoCommand.Name => DemoCommand.Examples,
            PredictCommand.Name => PredictCommand.Examples,
            VerifyCommand.Name => VerifyCommand.Examples,
            ExportTritonCommand.Name => ExportTritonCommand.Examples,
            TuneCommand.Name => TuneCommand.Examples,
            ZooCommand.Name or "list" or "create" => ZooCommand.Examples,
            FinetuneCommand.Name => FinetuneCommand.Examples,
            CompatCommand.Name => CompatCommand.Examples,
            _ => DemoCommand.Examples.Take(1).Concat(InspectCommand.Examples).Concat(ConvertCommand.Examples)
                .Concat(PredictCommand.Examples.Take(1)).Concat(VerifyCommand.Examples.Take(1)).ToArray(),
        };
        var output = parseResult.InvocationConfiguration.Output;
        output.WriteLine("Examples:");
        foreach (var e in examples) output.WriteLine($"  {e}");
        output.WriteLine();
        output.WriteLine($"Exit codes: {ExitCodes.Success} success, {ExitCodes.VerificationFailed} verification failed (verify, demo), {ExitCodes.Usage} usage error, "
            + $"{ExitCodes.BadInput} bad or unsupported input file, {ExitCodes.InternalError} internal error.");
        return ExitCodes.Success;
    }
}
