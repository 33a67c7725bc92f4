using Microsoft.Extensions.Options;

namespace Minsheng.Silo.Hosting;

/// <summary>
/// How long the silo may take to stop (<c>Minsheng:Shutdown</c>). An orchestrator kills the process when its own grace
/// period ends (Kubernetes' <c>terminationGracePeriodSeconds</c>, compose's <c>stop_grace_period</c>); a silo killed
/// before it has left the cluster is found dead only by its peers' probes. So this timeout is set, and the deployment
/// files give the orchestrator this value plus a margin (the tests compare them).
/// </summary>
public sealed class ShutdownOptions
{
    public const string Section = "Minsheng:Shutdown";

    /// <summary>The host's <see cref="HostOptions.ShutdownTimeout"/>: the time the silo has to leave the cluster and stop.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>The rules of <see cref="ShutdownOptions"/>.</summary>
public sealed class ShutdownOptionsRules : IValidateOptions<ShutdownOptions>
{
    /// <summary>Longer than an orchestrator would sensibly wait: a typing error rather than a choice.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromHours(1);

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ShutdownOptions options) => ValidatedOptions.Result(Errors(options));

    private static IEnumerable<string> Errors(ShutdownOptions options)
    {
        if (options.Timeout <= TimeSpan.Zero || options.Timeout > Longest)
            yield return $"{ShutdownOptions.Section}:Timeout must be positive and at most {Longest}, not {options.Timeout}";
    }
}

public static class ShutdownSetup
{
    /// <summary>Sets the host's shutdown timeout from <c>Minsheng:Shutdown:Timeout</c>.</summary>
    public static WebApplicationBuilder AddShutdownTimeout(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<ShutdownOptions, ShutdownOptionsRules>(ShutdownOptions.Section);
        builder.Services.AddOptions<HostOptions>().Configure<IOptions<ShutdownOptions>>((host, shutdown) => host.ShutdownTimeout = shutdown.Value.Timeout);
        return builder;
    }
}
