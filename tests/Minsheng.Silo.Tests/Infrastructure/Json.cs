using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Minsheng.Silo.Tests.Infrastructure;

/// <summary>Small helpers to post and read JSON as nodes, so tests check the wire shape, not our C# types.</summary>
public static class Json
{
    public static async Task<(int Status, JsonNode? Body)> PostJson(this HttpClient client, string url, object body)
    {
        using var response = await client.PostAsJsonAsync(url, body);
        return ((int)response.StatusCode, await ReadBody(response));
    }

    public static async Task<(int Status, JsonNode? Body)> PutJson(this HttpClient client, string url, object body)
    {
        using var response = await client.PutAsJsonAsync(url, body);
        return ((int)response.StatusCode, await ReadBody(response));
    }

    public static async Task<(int Status, JsonNode? Body)> PostRaw(this HttpClient client, string url, string body, string contentType = "application/json")
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        using var response = await client.PostAsync(url, content);
        return ((int)response.StatusCode, await ReadBody(response));
    }

    public static async Task<(int Status, JsonNode? Body)> GetJson(this HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        return ((int)response.StatusCode, await ReadBody(response));
    }

    public static async Task<JsonNode> GetOk(this HttpClient client, string url)
    {
        var (status, body) = await client.GetJson(url);
        Assert.True(status == 200, $"GET {url} answered {status}: {body}");
        return body!;
    }

    private static async Task<JsonNode?> ReadBody(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? null : JsonNode.Parse(text);
    }

    public static decimal Dec(this JsonNode? node) => node!.GetValue<decimal>();

    public static string Str(this JsonNode? node) => node!.GetValue<string>();

    public static string Canonical(this JsonNode? node) => node?.ToJsonString(new JsonSerializerOptions { WriteIndented = false }) ?? "null";
}
