using System.Diagnostics.CodeAnalysis;

namespace PaymentGateway.Core.Outcomes;

/// <summary>Wire codes (<c>faultCode</c>) and standard texts (<c>faultString</c>) of <see cref="PaaFaultCode"/>.</summary>
public static class PaaFaultCodes
{
    private static readonly Dictionary<string, PaaFaultCode> ByWireCode =
        Enum.GetValues<PaaFaultCode>().ToDictionary(code => code.ToWireCode(), StringComparer.Ordinal);

    /// <summary>The <c>faultCode</c> on the wire, e.g. <c>PAA_PAGAMENTO_SCONOSCIUTO</c>.</summary>
    /// <param name="code">The fault.</param>
    /// <returns>The wire code.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined fault.</exception>
    public static string ToWireCode(this PaaFaultCode code) => code switch
    {
        PaaFaultCode.SintassiXsd => "PAA_SINTASSI_XSD",
        PaaFaultCode.SintassiExtraXsd => "PAA_SINTASSI_EXTRAXSD",
        PaaFaultCode.IdDominioErrato => "PAA_ID_DOMINIO_ERRATO",
        PaaFaultCode.IdIntermediarioErrato => "PAA_ID_INTERMEDIARIO_ERRATO",
        PaaFaultCode.StazioneIntErrata => "PAA_STAZIONE_INT_ERRATA",
        PaaFaultCode.PagamentoSconosciuto => "PAA_PAGAMENTO_SCONOSCIUTO",
        PaaFaultCode.PagamentoDuplicato => "PAA_PAGAMENTO_DUPLICATO",
        PaaFaultCode.PagamentoScaduto => "PAA_PAGAMENTO_SCADUTO",
        PaaFaultCode.PagamentoAnnullato => "PAA_PAGAMENTO_ANNULLATO",
        PaaFaultCode.PagamentoInCorso => "PAA_PAGAMENTO_IN_CORSO",
        PaaFaultCode.Semantica => "PAA_SEMANTICA",
        PaaFaultCode.SystemError => "PAA_SYSTEM_ERROR",
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, "not a PAA fault code"),
    };

    /// <summary>Maps a wire code (exact, case-sensitive) back to the enum.</summary>
    /// <param name="wireCode">E.g. <c>PAA_SEMANTICA</c>.</param>
    /// <param name="code">The fault, or <c>default</c> when unknown.</param>
    /// <returns>True when the wire code is one of the closed set.</returns>
    public static bool TryParseWireCode([NotNullWhen(true)] string? wireCode, out PaaFaultCode code)
    {
        code = default;
        return wireCode is not null && ByWireCode.TryGetValue(wireCode, out code);
    }

    /// <summary>The standard <c>faultString</c> (official Italian description of the code).</summary>
    /// <param name="code">The fault.</param>
    /// <returns>The text.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined fault.</exception>
    public static string DefaultFaultString(this PaaFaultCode code) => code switch
    {
        PaaFaultCode.SintassiXsd => "Errore di sintassi XSD",
        PaaFaultCode.SintassiExtraXsd => "Errore di sintassi extra XSD",
        PaaFaultCode.IdDominioErrato => "La PAA non corrisponde al Dominio indicato",
        PaaFaultCode.IdIntermediarioErrato => "Identificativo intermediario non corrispondente",
        PaaFaultCode.StazioneIntErrata => "Stazione intermediario non corrispondente",
        PaaFaultCode.PagamentoSconosciuto => "Pagamento in attesa risulta sconosciuto all'Ente Creditore",
        PaaFaultCode.PagamentoDuplicato => "Pagamento in attesa risulta concluso all'Ente Creditore",
        PaaFaultCode.PagamentoScaduto => "Pagamento in attesa risulta scaduto all'Ente Creditore",
        PaaFaultCode.PagamentoAnnullato => "Pagamento in attesa risulta annullato all'Ente Creditore",
        PaaFaultCode.PagamentoInCorso => "Pagamento in attesa risulta in corso all'Ente Creditore",
        PaaFaultCode.Semantica => "Errore semantico",
        PaaFaultCode.SystemError => "Errore generico",
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, "not a PAA fault code"),
    };
}
