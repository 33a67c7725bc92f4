namespace Minsheng.Persistence.Tests.Renamed;

/// <summary>
/// ... and the same state after a rename into another namespace, with a property order change and a new property:
/// what ProfileStateV1 wrote must still read.
/// </summary>
public sealed class CitizenProfile
{
    public ProfileKind Kind { get; set; }
    public int Visits { get; set; }
    public string DisplayName { get; set; } = "";
    public List<string> Tags { get; set; } = [];
    public string? AddedLater { get; set; }
}
