namespace Minsheng.Domain.Reviews;

/// <summary>
/// Standard competition ranking (1, 2, 2, 4): equal keys share the best rank of their group, and the next distinct
/// key skips the places the group took. Within a rank, rows are listed by id (ordinal).
/// </summary>
internal static class Ranks
{
    /// <param name="better">Negative when the first row ranks ahead of the second, zero when they tie.</param>
    public static IReadOnlyList<(T Row, int Rank)> Assign<T>(IEnumerable<T> rows, Comparison<T> better, Func<T, string> id)
    {
        var sorted = rows.ToList();
        sorted.Sort((a, b) => better(a, b) is var c and not 0 ? c : string.CompareOrdinal(id(a), id(b)));
        var ranked = new List<(T, int)>(sorted.Count);
        for (var i = 0; i < sorted.Count; i++)
        {
            var rank = i > 0 && better(sorted[i - 1], sorted[i]) == 0 ? ranked[i - 1].Item2 : i + 1;
            ranked.Add((sorted[i], rank));
        }
        return ranked;
    }
}
