using System.Numerics;
using Minsheng.Domain.Progress;

namespace Minsheng.Domain.Reviews;

/// <summary>
/// Signed arithmetic on <see cref="Fraction"/>s. Reviews subtract (gaps, penalties), which the non-negative rollup
/// arithmetic never needs; keeping it here leaves <see cref="Fraction"/> as the rollups know it.
/// </summary>
internal static class Exact
{
    public static Fraction Sub(Fraction a, Fraction b) =>
        new(a.Numerator * b.Denominator - b.Numerator * a.Denominator, a.Denominator * b.Denominator);

    public static Fraction Add(Fraction a, Fraction b) => a + b;

    public static Fraction Mul(Fraction a, Fraction b) => new(a.Numerator * b.Numerator, a.Denominator * b.Denominator);

    public static Fraction Div(Fraction a, Fraction b) => new(a.Numerator * b.Denominator, a.Denominator * b.Numerator);

    /// <summary>Denominators are kept positive, so cross-multiplying compares.</summary>
    public static int Compare(Fraction a, Fraction b) =>
        (a.Numerator * b.Denominator).CompareTo(b.Numerator * a.Denominator);

    public static Fraction Min(Fraction a, Fraction b) => Compare(a, b) <= 0 ? a : b;

    public static Fraction Max(Fraction a, Fraction b) => Compare(a, b) >= 0 ? a : b;

    public static Fraction Whole(long n) => new(n, 1);

    public static Fraction Of(decimal value)
    {
        var scale = BigInteger.Pow(10, value.Scale);
        return new Fraction(new BigInteger(value * (decimal)scale), scale);
    }

    /// <summary>Rounds half away from zero, symmetric for negative values (Fraction.ToDecimal assumes non-negative).</summary>
    public static decimal Round(Fraction value, int places)
    {
        if (value.Numerator.Sign >= 0) return value.ToDecimal(places);
        return -new Fraction(-value.Numerator, value.Denominator).ToDecimal(places);
    }
}
