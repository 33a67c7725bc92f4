using Minsheng.Domain.Progress;
using System.Text;
using Minsheng.Domain.Supervision;
using Minsheng.Persistence.Tests.Renamed;

namespace Minsheng.Persistence.Tests;

/// <summary>
/// Rows already in PostgreSQL were written by the serializer this project kept before it used Orleans' own
/// (Minsheng.Persistence.SystemTextJsonGrainStorageSerializer, removed). These payloads are exactly what that
/// serializer wrote (pinned by running these tests against it before the switch): the current one must read them,
/// and must write the same bytes, so a row written after the switch still reads if a release is rolled back.
/// </summary>
public sealed class StoredPayloadTests
{
    // A supervision book as the supervisor grain stores it (state "supervisor"): nulls written out, non-ASCII escaped,
    // DateTimeOffset with its offset, DateOnly as a date, properties in declaration order, PascalCase.
    private const string LegacySupervisionBook =
        """{"ProcessedUntil":"2024-06-03T09:00:00+08:00","Statuses":{"t1/s1/m1":"lagging"},"Alerts":""" +
        """{"t1/s1/m1/lagging":{"TaskId":"t1","UnitId":"s1","MetricId":"m1","Status":"lagging","Kind":"lagging","Level":2,"Since":"2024-06-03T09:00:00+08:00"}},"LaggingStreaks":""" +
        """{"t1/s1":2},"Cases":[""" +
        """{"Id":"C-0001","TaskId":"t1","UnitId":"s1","Kind":"lagging","State":"closed","OpenedAt":"2024-06-03T09:00:00+08:00","Reason":"\u8FDE\u7EED\u4E24\u5468\u6EDE\u540E","AddressedTo":""" +
        """["s1"],"Responses":""" +
        """[{"Text":"\u5DF2\u52A0\u6D3E\u4EBA\u624B","PromisedDate":"2024-06-10","By":"\u5F20\u4E09","At":"2024-06-04T10:30:00+08:00"}],"ClosedAt":"2024-06-11T09:00:00+08:00","ClosedReason":"done"},""" +
        """{"Id":"C-0002","TaskId":"t2","UnitId":"s2","Kind":"manual","State":"open","OpenedAt":"2024-06-05T14:00:00+08:00","Reason":"r","AddressedTo":""" +
        """[],"Responses":[],"ClosedAt":null,"ClosedReason":null}],"NextCaseNumber":3}""";

    // The test state that the renamed-class tests use, with an enum (written by name).
    private const string LegacyProfile = """{"DisplayName":"\u5929\u6C34\u8857\u9053","Visits":3,"Tags":["a","b"],"Kind":"Visitor"}""";

    private static SupervisionBook Book() => new()
    {
        ProcessedUntil = At("2024-06-03T09:00:00+08:00"),
        Statuses = { ["t1/s1/m1"] = AssignmentStatus.Lagging },
        Alerts = { ["t1/s1/m1/lagging"] = new Alert("t1", "s1", "m1", AssignmentStatus.Lagging, AlertKind.Lagging, 2, At("2024-06-03T09:00:00+08:00")) },
        LaggingStreaks = { ["t1/s1"] = 2 },
        Cases =
        {
            new SupervisionCase("C-0001", "t1", "s1", CaseKind.Lagging, CaseState.Closed, At("2024-06-03T09:00:00+08:00"), "连续两周滞后", ["s1"],
                [new CaseResponse("已加派人手", new DateOnly(2024, 6, 10), "张三", At("2024-06-04T10:30:00+08:00"))],
                At("2024-06-11T09:00:00+08:00"), "done"),
            new SupervisionCase("C-0002", "t2", "s2", CaseKind.Manual, CaseState.Open, At("2024-06-05T14:00:00+08:00"), "r", [], []),
        },
        NextCaseNumber = 3,
    };

    [Fact]
    public void A_supervision_book_written_by_the_previous_serializer_reads()
    {
        var read = StorageSerializers.Create().Deserialize<SupervisionBook>(Utf8(LegacySupervisionBook))!;
        var expected = Book();

        Assert.Equal(expected.ProcessedUntil, read.ProcessedUntil);
        Assert.Equal(TimeSpan.FromHours(8), read.ProcessedUntil!.Value.Offset);
        Assert.Equal(expected.Statuses, read.Statuses);
        Assert.Equal(expected.Alerts, read.Alerts);
        Assert.Equal(expected.LaggingStreaks, read.LaggingStreaks);
        Assert.Equal(3, read.NextCaseNumber);
        Assert.Equal(2, read.Cases.Count);
        for (var i = 0; i < 2; i++)
        {
            // Records compare their lists by reference: compare the lists apart.
            Assert.Equal(expected.Cases[i] with { AddressedTo = [], Responses = [] }, read.Cases[i] with { AddressedTo = [], Responses = [] });
            Assert.Equal(expected.Cases[i].AddressedTo, read.Cases[i].AddressedTo);
            Assert.Equal(expected.Cases[i].Responses, read.Cases[i].Responses);
        }
        Assert.Null(read.Cases[1].ClosedAt);
        Assert.Null(read.Cases[1].ClosedReason);
    }

    [Fact]
    public void A_supervision_book_is_written_byte_for_byte_as_before()
    {
        Assert.Equal(LegacySupervisionBook, Text(StorageSerializers.Create().Serialize(Book())));
    }

    [Fact]
    public void A_profile_written_by_the_previous_serializer_reads_into_the_renamed_class_and_is_written_as_before()
    {
        var serializer = StorageSerializers.Create();
        var read = serializer.Deserialize<CitizenProfile>(Utf8(LegacyProfile))!;

        Assert.Equal("天水街道", read.DisplayName);
        Assert.Equal(3, read.Visits);
        Assert.Equal(["a", "b"], read.Tags);
        Assert.Equal(ProfileKind.Visitor, read.Kind);
        Assert.Null(read.AddedLater);
        Assert.Equal(LegacyProfile, Text(serializer.Serialize(
            new ProfileStateV1 { DisplayName = "天水街道", Visits = 3, Tags = ["a", "b"], Kind = ProfileKind.Visitor })));
    }

    private static DateTimeOffset At(string value) => DateTimeOffset.Parse(value, System.Globalization.CultureInfo.InvariantCulture);

    private static BinaryData Utf8(string json) => new(Encoding.UTF8.GetBytes(json));

    private static string Text(BinaryData payload) => Encoding.UTF8.GetString(payload.ToArray());
}
