using Minsheng.Domain.Import;

namespace Minsheng.Domain.Tests.Import;

/// <summary>The checked-in notice with one passage changed, imported with the checked-in dictionary.</summary>
internal static class EditedNotice
{
    /// <summary>Replaces the one occurrence of <paramref name="from"/> (tabs and newlines as in the notice).</summary>
    public static string Edit(string from, string to)
    {
        var notice = RepoFiles.GongshuNotice.ReplaceLineEndings("\n");
        var at = notice.IndexOf(from, StringComparison.Ordinal);
        Assert.True(at >= 0 && notice.IndexOf(from, at + 1, StringComparison.Ordinal) < 0, $"“{from}” must occur exactly once");
        return notice[..at] + to + notice[(at + from.Length)..];
    }

    /// <summary>Imports the edited notice.</summary>
    public static ImportResult Import(string from, string to) =>
        NoticeImporter.Import(Edit(from, to), RepoFiles.GongshuDictionary);

    /// <summary>Imports the edited notice, expecting it to be refused, and returns the message.</summary>
    public static string Refused(string from, string to) =>
        Assert.Throws<NoticeImportException>(() => Import(from, to)).Message;
}
