using Minsheng.Domain.Notifications;

namespace Minsheng.Domain.Tests.Notifications;

public sealed class RetryScheduleTests
{
    private static readonly RetrySchedule Schedule = new(TimeSpan.FromSeconds(5), TimeSpan.FromHours(1));

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 10)]
    [InlineData(3, 20)]
    [InlineData(4, 40)]
    [InlineData(10, 2560)]
    [InlineData(11, 3600)]   // 5120 s would pass the hour
    [InlineData(12, 3600)]
    [InlineData(63, 3600)]
    [InlineData(64, 3600)]
    [InlineData(int.MaxValue, 3600)]
    public void The_pause_doubles_from_the_first_delay_up_to_the_most(int failedAttempts, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Schedule.Delay(failedAttempts));

    [Fact]
    public void The_pauses_never_shrink_and_never_pass_the_most()
    {
        var pauses = Enumerable.Range(1, 100).Select(Schedule.Delay).ToList();
        Assert.Equal(pauses.Order(), pauses);
        Assert.All(pauses, p => Assert.InRange(p, TimeSpan.FromSeconds(5), TimeSpan.FromHours(1)));
    }

    [Fact]
    public void A_first_delay_above_the_most_is_held_to_it() =>
        Assert.Equal(TimeSpan.FromMinutes(1), new RetrySchedule(TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(1)).Delay(1));

    [Fact]
    public void There_is_no_pause_before_a_failure() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Schedule.Delay(0));

    [Fact]
    public void The_next_attempt_is_due_the_pause_after_the_failure() =>
        Assert.Equal(Deliveries.Monday.AddSeconds(20), Schedule.NextAttemptAt(3, Deliveries.Monday));

    [Fact]
    public void A_delivery_is_given_up_once_the_time_since_its_first_attempt_reaches_the_bound()
    {
        var first = Deliveries.Monday;
        Assert.False(RetrySchedule.GivesUp(first, first.AddHours(24).AddTicks(-1), TimeSpan.FromHours(24)));
        Assert.True(RetrySchedule.GivesUp(first, first.AddHours(24), TimeSpan.FromHours(24)));
        Assert.True(RetrySchedule.GivesUp(first, first.AddDays(3), TimeSpan.FromHours(24)));
    }
}
