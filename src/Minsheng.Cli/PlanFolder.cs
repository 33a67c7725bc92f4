using Minsheng.Domain.Plans;

namespace Minsheng.Cli;

/// <summary>
/// Writes plans into a folder the silo loads (<c>Minsheng:Seeds</c>), one <c>{id}.plan.json</c> each. A folder that
/// already holds other plan files is refused: the silo would load them beside the new ones, a province mixed with a
/// nation. Rewriting the same plans (the same command again) is fine.
/// </summary>
internal static class PlanFolder
{
    /// <summary>Writes the plans and returns the bytes written; null (nothing written) when the folder holds other plan files.</summary>
    public static async Task<long?> WriteAsync(string folder, IReadOnlyList<Plan> plans, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var names = plans.Select(FileName).ToHashSet(StringComparer.Ordinal);
        if (Directory.EnumerateFiles(folder, "*" + PlanLoader.Extension).Any(path => !names.Contains(Path.GetFileName(path)))) return null;
        long bytes = 0;
        foreach (var plan in plans)
        {
            var text = PlanJson.Serialize(plan);
            await File.WriteAllTextAsync(Path.Combine(folder, FileName(plan)), text, cancellationToken);
            bytes += System.Text.Encoding.UTF8.GetByteCount(text);
        }
        return bytes;
    }

    /// <summary>A plan's file name: its id and the plan file ending.</summary>
    public static string FileName(Plan plan) => plan.Id + PlanLoader.Extension;
}
