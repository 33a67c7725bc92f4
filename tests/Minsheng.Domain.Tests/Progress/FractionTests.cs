using Minsheng.Domain.Progress;

namespace Minsheng.Domain.Tests.Progress;

public sealed class FractionTests
{
    [Theory]
    [InlineData(1, 3, 0.333333)]
    [InlineData(2, 3, 0.666667)]
    [InlineData(37, 90, 0.411111)]
    [InlineData(1, 8, 0.125)]
    [InlineData(1, 2_000_000, 0.000001)] // 0.0000005 rounds half away from zero
    [InlineData(0, 5, 0)]
    [InlineData(5, 5, 1)]
    public void Rounds_half_away_from_zero_to_six_places(long n, long d, double expected) =>
        Assert.Equal((decimal)expected, new Fraction(n, d).ToDecimal());

    [Fact]
    public void Mean_is_exact_and_order_independent()
    {
        Fraction[] values = [new(1, 3), new(1, 2), new(2, 5)];
        Assert.Equal(new Fraction(37, 90), Fraction.Mean(values));
        Assert.Equal(Fraction.Mean(values), Fraction.Mean(values.Reverse()));
        Assert.Equal(Fraction.Zero, Fraction.Mean([]));
    }

    [Fact]
    public void Capped_never_exceeds_one() => Assert.Equal(Fraction.One, Fraction.Capped(12, 9));
}
