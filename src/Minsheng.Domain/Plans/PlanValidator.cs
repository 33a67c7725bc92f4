namespace Minsheng.Domain.Plans;

/// <summary>
/// Checks that a plan holds together, whatever produced it (the importer or a hand-edited plan file): required
/// fields present, ids unique, references resolved, targets positive, assignments adding up to each metric's
/// total, and the dates in order. Every problem is reported, each naming its place, e.g.
/// “task 3.1 metric main: title states 200, assignments sum to 199”.
/// </summary>
public static class PlanValidator
{
    /// <summary>All problems of the plan; empty when it is valid.</summary>
    public static IReadOnlyList<string> Validate(Plan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new PlanChecks(plan).Run();
    }

    /// <summary>Throws <see cref="PlanFormatException"/> listing every problem, if there is any.</summary>
    /// <param name="plan">The plan to check.</param>
    /// <param name="source">Where the plan came from (a file name), to start the message with.</param>
    public static void ValidateOrThrow(Plan plan, string source = "plan")
    {
        var problems = Validate(plan);
        if (problems.Count > 0)
        {
            throw new PlanFormatException(
                $"{source}: plan {plan.Id} has {problems.Count} problem(s):"
                + string.Concat(problems.Select(problem => "\n- " + problem)));
        }
    }
}
