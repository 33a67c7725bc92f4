using Minsheng.Domain.Import;

namespace Minsheng.Domain.Tests;

/// <summary>The checked-in files the tests read, found from the repository root.</summary>
internal static class RepoFiles
{
    /// <summary>The directory holding Minsheng.Grains.sln (<see cref="RepoPaths.Root"/>).</summary>
    public static string Root => RepoPaths.Root;

    /// <summary>The seeds directory.</summary>
    public static string Seeds => Path.Combine(Root, "seeds");

    /// <summary>The checked-in plan file the importer must reproduce byte for byte.</summary>
    public static string GongshuPlanPath => Path.Combine(Seeds, "gongshu-2024.plan.json");

    /// <summary>The official notice, as text.</summary>
    public static string GongshuNotice => File.ReadAllText(Path.Combine(Seeds, "gongshu-2024-minsheng-notice.txt"));

    /// <summary>The import dictionary of the notice.</summary>
    public static ImportDictionary GongshuDictionary => ImportDictionary.Load(Path.Combine(Seeds, "gongshu-2024.import.json"));
}

/// <summary>The import of the checked-in notice, done once for all tests that only read it.</summary>
internal static class GongshuImport
{
    private static readonly Lazy<ImportResult> Imported =
        new(() => NoticeImporter.Import(RepoFiles.GongshuNotice, RepoFiles.GongshuDictionary));

    /// <summary>The importer's result for gongshu-2024.</summary>
    public static ImportResult Result => Imported.Value;
}
