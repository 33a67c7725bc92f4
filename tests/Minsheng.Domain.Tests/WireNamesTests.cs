using System.Text.Json;
using System.Text.Json.Serialization;
using Minsheng.Domain.Progress;
using Minsheng.Domain.Reviews;
using Minsheng.Domain.Supervision;

namespace Minsheng.Domain.Tests;

/// <summary>Each fixed value has one name: the one its member states, whatever serializer writes it.</summary>
public sealed class WireNamesTests
{
    private static readonly Type[] Enums = typeof(WireNames).Assembly.GetTypes().Where(t => t.IsEnum && t.IsPublic).ToArray();

    public static TheoryData<Type> JsonEnums() => [.. Enums.Where(t => t.IsDefined(typeof(JsonConverterAttribute), false))];

    [Fact]
    public void The_fixed_value_sets_are_enums_with_their_converter() =>
        Assert.Superset(
            new[] { typeof(AssignmentStatus), typeof(ScheduleSource), typeof(CaseState), typeof(CaseKind), typeof(CaseAction), typeof(AlertKind), typeof(Light) }.ToHashSet(),
            Enums.Where(t => t.IsDefined(typeof(JsonConverterAttribute), false)).ToHashSet());

    [Theory]
    [MemberData(nameof(JsonEnums))]
    public void Every_member_states_its_wire_name_and_every_serializer_writes_it(Type type)
    {
        var names = WireNames.Of(type);
        Assert.Equal(Enum.GetNames(type).Length, names.Distinct(StringComparer.Ordinal).Count());
        // The API and events (web defaults), stored grain state (a plain string-enum converter, no naming policy) and
        // the general defaults all write the same text, and read it back.
        var optionsList = new[]
        {
            new JsonSerializerOptions(JsonSerializerDefaults.Web),
            new JsonSerializerOptions { Converters = { new JsonStringEnumConverter() } },
            new JsonSerializerOptions(),
        };
        var values = Enum.GetValues(type);
        for (var i = 0; i < values.Length; i++)
        {
            foreach (var options in optionsList)
            {
                var json = JsonSerializer.Serialize(values.GetValue(i), type, options);
                Assert.Equal($"\"{names[i]}\"", json);
                Assert.Equal(values.GetValue(i), JsonSerializer.Deserialize(json, type, options));
            }
        }
    }

    [Fact]
    public void Names_are_the_contracts()
    {
        Assert.Equal(["onTrack", "lagging", "overdue", "done"], WireNames.All<AssignmentStatus>());
        Assert.Equal(["default", "custom"], WireNames.All<ScheduleSource>());
        Assert.Equal(["open", "responded", "closed"], WireNames.All<CaseState>());
        Assert.Equal(["overdue", "lagging", "manual"], WireNames.All<CaseKind>());
        Assert.Equal(["opened", "responded", "closed"], WireNames.All<CaseAction>());
        Assert.Equal(["lagging", "deadlineNear", "overdue", "forecastLate"], WireNames.All<AlertKind>());
        Assert.Equal(["green", "yellow", "red"], WireNames.All<Light>());
    }

    [Fact]
    public void Parsing_takes_wire_names_only()
    {
        Assert.True(WireNames.TryParse<CaseState>("responded", out var state));
        Assert.Equal(CaseState.Responded, state);
        Assert.False(WireNames.TryParse<CaseState>("Responded", out _));
        Assert.False(WireNames.TryParse<CaseState>("1", out _));
        Assert.False(WireNames.TryParse<CaseState>(null, out _));
        Assert.Equal(AssignmentStatus.OnTrack, WireNames.Parse<AssignmentStatus>("onTrack"));
        Assert.Throws<FormatException>(() => WireNames.Parse<AssignmentStatus>("on_track"));
    }
}
