using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Minsheng.Hosting;

/// <summary>The business clock (<c>Minsheng:Clock</c>), shared by the host and demo mode.</summary>
public sealed class ClockOptions
{
    public const string Section = "Minsheng:Clock";

    /// <summary><c>System</c> (default), or <c>Simulated</c>: moved only by <c>POST /api/v1/admin/clock</c>.</summary>
    public ClockMode Mode { get; set; } = ClockMode.System;

    /// <summary>Where a simulated clock starts; by default the first plan's start at 09:00.</summary>
    public DateTimeOffset? Start { get; set; }

    /// <summary>
    /// The settings as configured, checked, for builder code (demo mode notes what it overrides). The host's clock reads
    /// the registered options instead, which see what demo mode set with <c>PostConfigure</c>.
    /// </summary>
    public static ClockOptions ReadEarly(IHostApplicationBuilder builder) => builder.ReadEarly<ClockOptions, ClockOptionsRules>(Section);
}

/// <summary>The rules of <see cref="ClockOptions"/> (the start's place in the plans' window is checked when the clock is made).</summary>
public sealed class ClockOptionsRules : IValidateOptions<ClockOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ClockOptions options) => ValidatedOptions.Result(
        // The binder accepts any number for an enum; only the two names are clocks.
        Enum.IsDefined(options.Mode) ? [] : [$"{ClockOptions.Section}:Mode must be System or Simulated, not '{options.Mode}'."]);
}
