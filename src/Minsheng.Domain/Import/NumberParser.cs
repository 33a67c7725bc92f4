using System.Globalization;
using System.Text.RegularExpressions;

namespace Minsheng.Domain.Import;

/// <summary>
/// Reads the numbers of a notice: Chinese numerals (项目序号 一…九十九) and quantities such as “1.6万名”,
/// in table cells and in task titles.
/// </summary>
internal static partial class NumberParser
{
    private const string ChineseDigits = "零一二三四五六七八九";

    /// <summary>Reads a project number written as a Chinese numeral (一…九十九) or in digits; null if it is neither.</summary>
    public static int? ParseProjectNumber(string text)
    {
        var t = text.Trim();
        if (int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var digits) && digits > 0)
        {
            return digits;
        }

        var ten = t.IndexOf('十');
        if (ten < 0)
        {
            return t.Length == 1 ? Digit(t[0]) : null;
        }

        // 十 = 10, 十二 = 12, 二十 = 20, 二十三 = 23.
        int? tens = ten switch { 0 => 1, 1 => Digit(t[0]), _ => null };
        int? units = (t.Length - ten - 1) switch { 0 => 0, 1 => Digit(t[ten + 1]), _ => null };
        return tens * 10 + units;
    }

    /// <summary>
    /// Reads the quantities of a task-table cell: “1所” → [1所], “1.6万名” → [16000名], “286\n\n户” → [286户]
    /// (the unit wrapped onto its own line), “4805\n\n400人” → [4805, 400人] (two numbers, unit written once).
    /// An empty cell or a dash (“--”, no target) holds none. Anything else in the cell is refused.
    /// </summary>
    /// <exception cref="FormatException">The cell holds text that is not quantities.</exception>
    public static IReadOnlyList<Quantity> ParseCell(string cell)
    {
        if (IsNoTarget(cell))
        {
            return [];
        }

        var quantities = CellQuantity().Matches(cell).Select(ToQuantity).ToList();
        var rest = CellQuantity().Replace(cell, "");
        if (quantities.Count == 0 || !string.IsNullOrWhiteSpace(rest))
        {
            throw new FormatException($"cannot read “{cell}” as numbers with units");
        }

        return quantities;
    }

    /// <summary>
    /// Finds the totals a title or summary states in the given units, in order: “完成630户80周岁以上独居老人” with
    /// unit 户 → [630户] (80周岁 is not a total). Numbers in parentheses qualify rather than state a total
    /// (“新增6所…（街道涉及5所）” → [6所]), so they are skipped.
    /// </summary>
    /// <exception cref="FormatException">A number in one of the units is not a whole number.</exception>
    public static IReadOnlyList<Quantity> FindStated(string text, IEnumerable<string> units)
    {
        // Longest first, so that a unit that extends another one wins.
        var alternatives = units.Where(u => u.Length > 0).Distinct().OrderByDescending(u => u.Length)
            .Select(Regex.Escape).ToList();
        if (alternatives.Count == 0)
        {
            return [];
        }

        var stated = new Regex(
            $@"(?<![\d.])(?<number>\d+(?:\.\d+)?)\s*(?<wan>万)?\s*(?<unit>{string.Join('|', alternatives)})",
            RegexOptions.CultureInvariant);
        return stated.Matches(Parenthetical().Replace(text, "")).Select(ToQuantity).ToList();
    }

    /// <summary>Whether a cell means “no target”: empty, or only dashes (“--”, “—”).</summary>
    public static bool IsNoTarget(string cell) => cell.All(c => char.IsWhiteSpace(c) || c is '-' or '—' or '–' or '－');

    private static Quantity ToQuantity(Match match)
    {
        var number = decimal.Parse(match.Groups["number"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        var value = match.Groups["wan"].Success ? number * 10_000 : number;
        if (value != decimal.Truncate(value))
        {
            throw new FormatException($"“{match.Value.Trim()}” is not a whole number");
        }

        return new Quantity((long)value, match.Groups["unit"].Value);
    }

    private static int? Digit(char c)
    {
        var digit = ChineseDigits.IndexOf(c);
        return digit > 0 ? digit : null;
    }

    // A number, 万 maybe, then the unit; whitespace may separate them because Word wraps a narrow cell
    // onto new paragraphs. The unit stops at a digit, so “4805\n\n400人” is two quantities.
    [GeneratedRegex(@"(?<![\d.])(?<number>\d+(?:\.\d+)?)\s*(?<wan>万)?\s*(?<unit>[^\d\s.]*)", RegexOptions.CultureInvariant)]
    private static partial Regex CellQuantity();

    [GeneratedRegex(@"（[^）]*）|\([^)]*\)", RegexOptions.CultureInvariant)]
    private static partial Regex Parenthetical();
}
