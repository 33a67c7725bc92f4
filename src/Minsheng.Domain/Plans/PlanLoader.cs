namespace Minsheng.Domain.Plans;

/// <summary>Loads the plan files (<c>*.plan.json</c>) of a seeds directory, refusing any that does not validate.</summary>
public static class PlanLoader
{
    /// <summary>The file name ending that marks a plan file; the seeds directory also holds notices and dictionaries.</summary>
    public const string Extension = ".plan.json";

    /// <summary>
    /// Reads, deserializes and validates every plan file of <paramref name="seedsDir"/>; throws
    /// <see cref="PlanFormatException"/> naming the file on the first bad one, or when two files share a plan id.
    /// </summary>
    /// <returns>The plans sorted by id.</returns>
    public static IReadOnlyList<Plan> LoadDirectory(string seedsDir)
    {
        var loaded = new Dictionary<string, string>(StringComparer.Ordinal);
        var plans = new List<Plan>();
        var files = Directory.EnumerateFiles(seedsDir, "*" + Extension)
            .Where(path => path.EndsWith(Extension, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        foreach (var path in files)
        {
            var name = Path.GetFileName(path);
            var plan = PlanJson.Deserialize(File.ReadAllText(path), name);
            PlanValidator.ValidateOrThrow(plan, name);
            if (!loaded.TryAdd(plan.Id, name))
            {
                throw new PlanFormatException($"{name}: plan id {plan.Id} is already used by {loaded[plan.Id]}");
            }

            plans.Add(plan);
        }

        return plans.OrderBy(plan => plan.Id, StringComparer.Ordinal).ToList();
    }
}
