using System.Text.Json.Serialization;
using Minsheng.Grains.Evidence;

namespace Minsheng.Silo.Evidence;

/// <summary>One evidence file as the API lists it.</summary>
/// <param name="FileId">The file's id under its report (<c>.../evidence/{fileId}</c>).</param>
/// <param name="Name">The name it was sent with, cleaned (no folders, no control or bidirectional characters).</param>
/// <param name="ContentType">What the file's bytes are: <c>image/jpeg</c>, <c>image/png</c> or <c>application/pdf</c>.</param>
/// <param name="Bytes">Its size as stored (a photo's after its location was removed).</param>
/// <param name="Sha256">Lowercase hex SHA-256 of the stored bytes; also the download's ETag.</param>
public sealed record EvidenceFileAnswer(
    [property: JsonPropertyName("fileId")] string FileId,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("contentType")] string ContentType,
    [property: JsonPropertyName("bytes")] long Bytes,
    [property: JsonPropertyName("sha256")] string Sha256)
{
    /// <summary>The answer for a stored file.</summary>
    public static EvidenceFileAnswer Of(EvidenceFile file) => new(file.FileId, file.Name, file.ContentType, file.Bytes, file.Sha256);
}
