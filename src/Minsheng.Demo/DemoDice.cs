using System.Text;

namespace Minsheng.Demo;

/// <summary>
/// Deterministic draws keyed by a seed and names (FNV-1a then SplitMix64): a draw depends on what it is for, never on
/// the order draws are made in, so the same seed plays the same year however the demo is scheduled.
/// </summary>
public readonly record struct DemoDice(int Seed)
{
    /// <summary>A number in [0, 1) for these keys.</summary>
    public double Unit(params string[] keys) => (Hash(keys) >> 11) * (1.0 / (1UL << 53));

    /// <summary>A whole number in [min, max] for these keys.</summary>
    public int Between(int min, int max, params string[] keys) => min + (int)(Hash(keys) % (ulong)(max - min + 1));

    private ulong Hash(string[] keys)
    {
        var h = 14695981039346656037UL ^ (ulong)(uint)Seed;
        foreach (var key in keys)
        {
            foreach (var b in Encoding.UTF8.GetBytes(key))
            {
                h ^= b;
                h *= 1099511628211UL;
            }
            h ^= 0xFF;
            h *= 1099511628211UL;
        }
        // SplitMix64 finaliser: spreads FNV's weak low bits.
        h += 0x9E3779B97F4A7C15UL;
        h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9UL;
        h = (h ^ (h >> 27)) * 0x94D049BB133111EBUL;
        return h ^ (h >> 31);
    }
}
