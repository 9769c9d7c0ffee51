using Zoo.FineTune.Callbacks;
using static Zoo.Convert.Finetune.OptionLanguage;

namespace Zoo.Convert.Finetune;

/// <summary>Turns <c>--schedule</c> and <c>--early-stopping</c> values into Zoo.FineTune callbacks.</summary>
internal static class CallbackSpecs
{
    /// <summary>The schedule names, for help and errors.</summary>
    public const string ScheduleNames = "constant, lecture (the initial rate for 5 epochs, then ×e^-0.1 per epoch from it), lecture-compounding (the same, compounding on the current rate), exponential[:rate=0.9,every=1,staircase=false], step[:drop=0.5,every=10], cosine[:epochs=E,alpha=0], plateau[:factor=0.1,patience=10,monitor=val_loss]";

    /// <summary>
    /// <c>NAME[:key=value,...]</c> → a learning-rate callback from the initial rate <paramref name="lr0"/>; null for
    /// <c>constant</c>. The plateau schedule needs validation data when it monitors a <c>val_</c> value.
    /// </summary>
    public static Callback? Schedule(string text, double lr0, int epochs)
    {
        const string opt = "--schedule";
        int colon = text.IndexOf(':');
        var (name, args) = colon < 0 ? (text.Trim(), "") : (text[..colon].Trim(), text[(colon + 1)..]);
        Dictionary<string, string> Args(params string[] keys) => KeyValues(opt, args, keys);
        string Get(Dictionary<string, string> kv, string key, string fallback) => kv.TryGetValue(key, out var v) && v.Length > 0 ? v : fallback;
        switch (name.ToLowerInvariant())
        {
            case "constant":
                Args();
                return null;
            case "lecture":
                Args();
                return new LearningRateScheduler(Schedules.Lecture(lr0));
            case "lecture-compounding":
                Args();
                return new LearningRateScheduler(Schedules.LectureCompounding());
            case "exponential":
            {
                var kv = Args("rate", "every", "staircase");
                return new LearningRateScheduler(Schedules.Exponential(lr0, Number(opt, "rate", Get(kv, "rate", "0.9"), 0),
                    Number(opt, "every", Get(kv, "every", "1"), 1e-9), Boolean(opt, "staircase", Get(kv, "staircase", "false"))));
            }
            case "step":
            {
                var kv = Args("drop", "every");
                return new LearningRateScheduler(Schedules.Step(lr0, Number(opt, "drop", Get(kv, "drop", "0.5"), 0), Integer(opt, "every", Get(kv, "every", "10"), 1)));
            }
            case "cosine":
            {
                var kv = Args("epochs", "alpha");
                return new LearningRateScheduler(Schedules.Cosine(lr0, Integer(opt, "epochs", Get(kv, "epochs", Math.Max(1, epochs).ToString()), 1),
                    Number(opt, "alpha", Get(kv, "alpha", "0"), 0)));
            }
            case "plateau":
            {
                var kv = Args("factor", "patience", "monitor", "min_lr");
                return new ReduceLROnPlateau(Get(kv, "monitor", "val_loss"), Number(opt, "factor", Get(kv, "factor", "0.1"), 0),
                    Integer(opt, "patience", Get(kv, "patience", "10")), minLearningRate: Number(opt, "min_lr", Get(kv, "min_lr", "0"), 0));
            }
            default:
                throw new UsageException($"{opt}: unknown schedule '{name}'; expected {ScheduleNames}");
        }
    }

    /// <summary><c>monitor=val_loss,patience=2,min_delta=0,mode=auto,restore_best_weights=true,start_from_epoch=0</c> (Keras's names and defaults, patience 0).</summary>
    public static EarlyStopping EarlyStopping(string text)
    {
        const string opt = "--early-stopping";
        var kv = KeyValues(opt, text, ["monitor", "patience", "min_delta", "mode", "restore_best_weights", "start_from_epoch", "baseline"]);
        string Get(string key, string fallback) => kv.TryGetValue(key, out var v) && v.Length > 0 ? v : fallback;
        var mode = Get("mode", "auto").ToLowerInvariant() switch
        {
            "auto" => MonitorMode.Auto,
            "min" => MonitorMode.Min,
            "max" => MonitorMode.Max,
            var m => throw new UsageException($"{opt}: mode must be auto, min or max, found '{m}'"),
        };
        double? baseline = kv.TryGetValue("baseline", out var b) ? Number(opt, "baseline", b) : null;
        return new EarlyStopping(Get("monitor", "val_loss"), Number(opt, "min_delta", Get("min_delta", "0")), Integer(opt, "patience", Get("patience", "0")),
            mode, baseline, Boolean(opt, "restore_best_weights", Get("restore_best_weights", "false")), Integer(opt, "start_from_epoch", Get("start_from_epoch", "0")));
    }
}
