using System.Numerics;

namespace Minsheng.Domain.Progress;

/// <summary>
/// An exact non-negative rational number. Ratios are means of means of quotients; computing them exactly makes
/// every rollup independent of the order in which facts arrived, and rounding happens once, at the edge.
/// </summary>
public readonly record struct Fraction
{
    public Fraction(BigInteger numerator, BigInteger denominator)
    {
        if (denominator.IsZero) throw new DivideByZeroException("A fraction's denominator cannot be zero.");
        if (denominator.Sign < 0) (numerator, denominator) = (-numerator, -denominator);
        var gcd = BigInteger.GreatestCommonDivisor(numerator, denominator);
        if (!gcd.IsOne && !gcd.IsZero) (numerator, denominator) = (numerator / gcd, denominator / gcd);
        Numerator = numerator;
        Denominator = denominator;
    }

    public BigInteger Numerator { get; }

    public BigInteger Denominator { get; }

    public static Fraction Zero { get; } = new(0, 1);

    public static Fraction One { get; } = new(1, 1);

    public static Fraction operator +(Fraction a, Fraction b) =>
        new(a.Numerator * b.Denominator + b.Numerator * a.Denominator, a.Denominator * b.Denominator);

    public static Fraction operator /(Fraction a, BigInteger n) => new(a.Numerator, a.Denominator * n);

    public static Fraction operator *(Fraction a, BigInteger n) => new(a.Numerator * n, a.Denominator);

    /// <summary>min(completed, target) / target: the share of one target that is done, never above one.</summary>
    public static Fraction Capped(long completed, long target) => new(Math.Min(completed, target), target);

    /// <summary>The arithmetic mean; zero for no values (a unit with nothing assigned has nothing done).</summary>
    public static Fraction Mean(IEnumerable<Fraction> values)
    {
        var sum = Zero;
        var count = 0;
        foreach (var v in values)
        {
            sum += v;
            count++;
        }
        return count == 0 ? Zero : sum / count;
    }

    /// <summary>Rounds half away from zero to <paramref name="places"/> decimals.</summary>
    public decimal ToDecimal(int places = 6)
    {
        var scale = BigInteger.Pow(10, places);
        var scaled = BigInteger.DivRem(Numerator * scale * 2 + Denominator, Denominator * 2).Quotient;
        return decimal.Round((decimal)scaled / (decimal)scale, places) / 1.000000000000000000000000000000000m;
    }

    public override string ToString() => $"{Numerator}/{Denominator}";
}
