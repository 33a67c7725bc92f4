using System.Text;
using Minsheng.Persistence.Tests.Renamed;

namespace Minsheng.Persistence.Tests;

/// <summary>Serializer behaviour alone (no database).</summary>
public sealed class SerializerTests
{
    [Fact]
    public void Payload_has_no_type_names_and_reads_into_a_renamed_type()
    {
        var serializer = StorageSerializers.Create();
        var written = new ProfileStateV1 { DisplayName = "天水街道", Visits = 3, Tags = ["a", "b"], Kind = ProfileKind.Visitor };

        var payload = serializer.Serialize(written);
        var json = Encoding.UTF8.GetString(payload.ToArray());
        var read = serializer.Deserialize<CitizenProfile>(payload)!;

        Assert.DoesNotContain("$type", json);
        Assert.DoesNotContain(nameof(ProfileStateV1), json);
        Assert.Contains("\"Kind\":\"Visitor\"", json);
        Assert.Equal("天水街道", read.DisplayName);
        Assert.Equal(3, read.Visits);
        Assert.Equal(["a", "b"], read.Tags);
        Assert.Equal(ProfileKind.Visitor, read.Kind);
        Assert.Null(read.AddedLater);
    }

    [Fact]
    public void Null_state_round_trips_as_null()
    {
        var serializer = StorageSerializers.Create();
        Assert.Null(serializer.Deserialize<CounterState?>(serializer.Serialize<CounterState?>(null)));
    }
}
