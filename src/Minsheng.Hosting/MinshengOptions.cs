namespace Minsheng.Hosting;

/// <summary>Top-level settings (<c>Minsheng</c> section).</summary>
public sealed class MinshengOptions
{
    public const string Section = "Minsheng";

    /// <summary><c>Memory</c> (default, not durable) or <c>Postgres</c> (with <c>ConnectionStrings:Minsheng</c>).</summary>
    public StorageMode Storage { get; set; } = StorageMode.Memory;

    /// <summary>The folder of plan files; by default the repository's <c>seeds/</c>, found by walking up.</summary>
    public string? Seeds { get; set; }
}

public enum StorageMode { Memory, Postgres }
