namespace Minsheng.Domain.Progress;

/// <summary>
/// Why a request was refused: the HTTP status it maps to, the field at fault and the reason in the users' language.
/// </summary>
public sealed record Refusal(int Status, string Field, string Reason)
{
    public static Refusal Invalid(string field, string reason) => new(400, field, reason);

    public static Refusal Unprocessable(string field, string reason) => new(422, field, reason);
}
