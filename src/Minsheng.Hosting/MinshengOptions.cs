using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Minsheng.Hosting;

/// <summary>Top-level settings (<c>Minsheng</c> section).</summary>
public sealed class MinshengOptions
{
    public const string Section = "Minsheng";

    /// <summary><c>Memory</c> (default, not durable) or <c>Postgres</c> (with <c>ConnectionStrings:Minsheng</c>).</summary>
    public StorageMode Storage { get; set; } = StorageMode.Memory;

    /// <summary>The folder of plan files; by default (unset or blank) the repository's <c>seeds/</c>, found by walking up.</summary>
    public string? Seeds { get; set; }

    /// <summary>The configured seeds folder without surrounding blanks, or null when none is configured.</summary>
    public string? SeedsFolder => string.IsNullOrWhiteSpace(Seeds) ? null : Seeds.Trim();

    /// <summary>
    /// The settings as builder code reads them: the storage mode decides which grain storage, reminders and logs are
    /// registered, before any service exists to be asked.
    /// </summary>
    public static MinshengOptions ReadEarly(IHostApplicationBuilder builder) => builder.ReadEarly<MinshengOptions, MinshengOptionsRules>(Section);
}

public enum StorageMode { Memory, Postgres }

/// <summary>The rules of <see cref="MinshengOptions"/>.</summary>
public sealed class MinshengOptionsRules : IValidateOptions<MinshengOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, MinshengOptions options) => ValidatedOptions.Result(Errors(options));

    private static IEnumerable<string> Errors(MinshengOptions options)
    {
        // The binder accepts any number for an enum ("Minsheng:Storage=7"); only the two names are storage modes.
        if (!Enum.IsDefined(options.Storage))
            yield return $"{MinshengOptions.Section}:Storage must be Memory or Postgres, not '{options.Storage}'";
        if (options.SeedsFolder is { } seeds)
        {
            if (!Directory.Exists(seeds))
                yield return $"{MinshengOptions.Section}:Seeds must be a folder of *.plan.json files; '{seeds}' does not exist";
            else if (!Directory.EnumerateFiles(seeds, "*.plan.json").Any())
                yield return $"{MinshengOptions.Section}:Seeds must be a folder of *.plan.json files; '{seeds}' has none";
        }
    }
}
