using System.Text.Json.Nodes;
using Minsheng.Domain.Plans;

namespace Minsheng.Domain.Tests.Plans;

/// <summary>The checked-in plan file with one edit, loaded through <see cref="PlanLoader"/> as a seeds directory would be.</summary>
internal static class BadPlanFiles
{
    public const string FileName = "edited.plan.json";

    /// <summary>The checked-in plan as an editable JSON tree.</summary>
    public static JsonObject Seed() => JsonNode.Parse(File.ReadAllText(RepoFiles.GongshuPlanPath))!.AsObject();

    /// <summary>The task of the given id in a plan tree.</summary>
    public static JsonObject Task(JsonObject plan, string id) =>
        plan["tasks"]!.AsArray().Select(t => t!.AsObject()).Single(t => (string?)t["id"] == id);

    /// <summary>Loads the edited plan from a directory of its own; returns the refusal's message.</summary>
    public static string Refusal(Action<JsonObject> edit)
    {
        var plan = Seed();
        edit(plan);
        using var dir = new TempDirectory();
        dir.Write(FileName, plan.ToJsonString());
        var message = Assert.Throws<PlanFormatException>(() => PlanLoader.LoadDirectory(dir.Path)).Message;
        Assert.StartsWith(FileName + ":", message, StringComparison.Ordinal);
        return message;
    }
}
