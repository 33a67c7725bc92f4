using System.Globalization;

namespace Minsheng.Domain.Import;

/// <summary>A whole number with the unit of measure written after it, e.g. 16000 名 read from “1.6万名”.</summary>
/// <param name="Value">The number, with 万 already multiplied out.</param>
/// <param name="Unit">The unit of measure (所, 个, 人…); empty when the text gives none.</param>
public readonly record struct Quantity(long Value, string Unit)
{
    /// <summary>The quantity as the notice would write it, e.g. <c>6所</c>.</summary>
    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture) + Unit;
}
