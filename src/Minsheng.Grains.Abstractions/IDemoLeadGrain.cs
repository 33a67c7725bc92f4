namespace Minsheng.Grains;

/// <summary>
/// The one lease on driving demo mode in a cluster (key <see cref="Key"/>): the silo holding it plays the demo year,
/// the others wait and take over when it is not renewed. Soft state: a lost lease is taken again by the next ask.
/// </summary>
public interface IDemoLeadGrain : IGrainWithStringKey
{
    public const string Key = "demo";

    /// <summary>Takes or renews the lease for <paramref name="holder"/> for <paramref name="lease"/>; false while another holds it.</summary>
    Task<bool> TryLead(string holder, TimeSpan lease);
}
