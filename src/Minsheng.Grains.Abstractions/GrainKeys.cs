namespace Minsheng.Grains;

/// <summary>Grain keys are "{planId}/{unitId}", so one silo serves several plans without collisions.</summary>
public static class GrainKeys
{
    public static string Of(string planId, string id) => $"{planId}/{id}";

    public static (string PlanId, string Id) Parse(string key)
    {
        var slash = key.IndexOf('/');
        return slash < 0 ? (key, "") : (key[..slash], key[(slash + 1)..]);
    }
}
