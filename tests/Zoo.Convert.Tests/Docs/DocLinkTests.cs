using Zoo.Convert.Tests.Support;

namespace Zoo.Convert.Tests.Docs;

/// <summary>Every relative link in the README, the manual and the package READMEs leads somewhere: a file that exists, and a heading that exists in it.</summary>
public class DocLinkTests
{
    public static TheoryData<string> Pages() => new(MarkdownPages.All());

    [Theory]
    [MemberData(nameof(Pages))]
    public void Every_relative_link_names_an_existing_file_and_heading(string page)
    {
        var broken = new List<string>();
        var folder = Path.GetDirectoryName(Repository.File(page))!;
        foreach (var (line, target) in MarkdownPages.RelativeLinks(page))
        {
            var (path, anchor) = target.Split('#', 2) is [var p, var a] ? (p, a) : (target, null);
            var file = path.Length == 0 ? Repository.File(page) : Path.GetFullPath(Path.Combine(folder, Uri.UnescapeDataString(path)));
            if (!File.Exists(file) && !Directory.Exists(file)) broken.Add($"{page}:{line}: {target}: no such file");
            else if (anchor is not null && !(file.EndsWith(".md", StringComparison.Ordinal) && MarkdownPages.Anchors(Path.GetRelativePath(Repository.File(""), file)).Contains(anchor)))
                broken.Add($"{page}:{line}: {target}: no heading '#{anchor}' in {Path.GetFileName(file)}");
        }
        Assert.True(broken.Count == 0, string.Join("\n", broken));
    }

    [Fact]
    public void Headings_become_the_anchors_GitHub_gives_them()
    {
        Assert.Equal("keras-dialects-keras-1--2-keras-2--3", MarkdownPages.Slug("Keras dialects: Keras 1 → 2, Keras 2 ⇄ 3"));
        Assert.Equal("training-with-kerass-semantics", MarkdownPages.Slug("Training with Keras's semantics"));
        Assert.Equal("normalizations-no-keras-ships-zoo-custom-layers", MarkdownPages.Slug("Normalizations no Keras ships (`Zoo>` custom layers)"));
        Assert.Equal("demo---json", MarkdownPages.Slug("`demo --json`"));
    }
}
