namespace PaymentGateway.Core;

/// <summary>A validation failure of a domain factory: which field (a path like <c>options[0].transfers[1].amount</c>) and why.</summary>
/// <param name="Field">The offending field or path.</param>
/// <param name="Message">What is wrong, in plain English.</param>
public sealed record DomainError(string Field, string Message)
{
    /// <summary><c>Field: Message</c>.</summary>
    /// <returns>The error as text.</returns>
    public override string ToString() => $"{Field}: {Message}";
}
