namespace Minsheng.Domain.Limits;

/// <summary>
/// What characters text may hold. Control characters (C0 including NUL, DEL, C1) forge log lines, break terminals and
/// are refused by PostgreSQL's <c>text</c> and <c>jsonb</c> (NUL). In free text a person writes (a note, a reason, a
/// case response) line breaks and tabs are ordinary text; in everything else (ids, dates, instants, links) they are not.
/// </summary>
public static class TextRules
{
    /// <summary>True for a character no text may hold.</summary>
    public static bool IsForbidden(char c) => c switch
    {
        '\t' or '\n' or '\r' => false,
        < ' ' => true,
        >= '\u007f' and <= '\u009f' => true,
        _ => false,
    };

    /// <summary>True for a character a value that is not free text may not hold: every control character.</summary>
    public static bool IsForbiddenInValue(char c) => c is '\t' or '\n' or '\r' || IsForbidden(c);

    /// <summary>The index of the first forbidden character, or -1.</summary>
    public static int FirstForbidden(ReadOnlySpan<char> text, bool freeText = true)
    {
        for (var i = 0; i < text.Length; i++)
            if (freeText ? IsForbidden(text[i]) : IsForbiddenInValue(text[i])) return i;
        return -1;
    }

    /// <summary>The reason a field's text is refused, naming the character, or null when it is fine.</summary>
    public static string? Refusal(ReadOnlySpan<char> text, bool freeText = true) =>
        FirstForbidden(text, freeText) is var i and >= 0 ? $"不能包含控制字符（U+{(int)text[i]:X4}，第 {i + 1} 个字符）" : null;

    /// <summary>
    /// Text made safe to store or log whatever it holds: each forbidden character becomes its escape <c>\uXXXX</c>.
    /// For records of refusals, which must keep what was tried without failing on it.
    /// </summary>
    public static string Escape(string text)
    {
        if (FirstForbidden(text) < 0) return text;
        var builder = new System.Text.StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (IsForbidden(c)) builder.Append("\\u").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
            else builder.Append(c);
        }
        return builder.ToString();
    }
}
