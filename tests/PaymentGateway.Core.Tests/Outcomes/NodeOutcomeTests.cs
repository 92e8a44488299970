using PaymentGateway.Core.Outcomes;

namespace PaymentGateway.Core.Tests.Outcomes;

public class NodeOutcomeTests
{
    [Fact]
    public void Ok_Value_IsOk()
    {
        NodeOutcome<int> outcome = 42;
        Assert.True(outcome.IsOk);
        Assert.Equal(42, outcome.Value);
        Assert.Throws<InvalidOperationException>(() => outcome.Fault);
        Assert.Equal("ok 42", outcome.Match(v => $"ok {v}", f => f.FaultCode));
    }

    [Fact]
    public void Fail_Fault_IsKo()
    {
        NodeOutcome<string> outcome = PaaFault.Of(PaaFaultCode.PagamentoSconosciuto);
        Assert.False(outcome.IsOk);
        Assert.Equal(PaaFaultCode.PagamentoSconosciuto, outcome.Fault.Code);
        Assert.Throws<InvalidOperationException>(() => outcome.Value);
        Assert.Equal("PAA_PAGAMENTO_SCONOSCIUTO", outcome.Match(v => v, f => f.FaultCode));
        Assert.Equal("KO(PAA_PAGAMENTO_SCONOSCIUTO)", outcome.ToString());
    }

    [Fact]
    public void Fail_Null_Throws() => Assert.Throws<ArgumentNullException>(() => NodeOutcome<int>.Fail(null!));

    [Fact]
    public void Default_IsNeitherOkNorFault()
    {
        var outcome = default(NodeOutcome<int>);
        Assert.False(outcome.IsOk);
        Assert.Throws<InvalidOperationException>(() => outcome.Fault);
        Assert.Throws<InvalidOperationException>(() => outcome.Value);
    }
}
