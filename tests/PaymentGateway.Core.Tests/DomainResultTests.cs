namespace PaymentGateway.Core.Tests;

public class DomainResultTests
{
    [Fact]
    public void Success_HasValueAndNoErrors()
    {
        var result = DomainResult<int>.Success(5);
        Assert.True(result.IsSuccess);
        Assert.Equal(5, result.Value);
        Assert.Empty(result.Errors);
    }

    [Fact]
    public void Failure_ValueThrowsWithErrors()
    {
        var result = DomainResult<int>.Failure(new DomainError("amount", "too big"), new DomainError("iupd", "empty"));
        Assert.False(result.IsSuccess);
        Assert.Equal(2, result.Errors.Count);
        var ex = Assert.Throws<InvalidOperationException>(() => result.Value);
        Assert.Contains("amount: too big; iupd: empty", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Failure_NoErrors_Throws() => Assert.Throws<ArgumentException>(() => DomainResult<int>.Failure([]));
}
