using System.Globalization;
using System.Xml;
using PaymentGateway.Core;

namespace PaymentGateway.Gateway.Soap;

/// <summary>Small helpers shared by the response writers, so every primitive formats values the same way.</summary>
internal static class SoapWriting
{
    public static void Amount(this XmlWriter writer, string name, EuroCents amount) => writer.WriteElementString(name, amount.ToXsdAmount());

    public static void Date(this XmlWriter writer, string name, DateOnly date) =>
        writer.WriteElementString(name, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    public static void Boolean(this XmlWriter writer, string name, bool value) => writer.WriteElementString(name, value ? "true" : "false");

    /// <summary>Writes an optional stText element only when it has a value, truncated to the XSD maximum.</summary>
    public static void OptionalText(this XmlWriter writer, string name, string? value, int maxLength)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            writer.WriteElementString(name, value.Length <= maxLength ? value : value[..maxLength]);
        }
    }

    /// <summary>ctMetadata: 1..15 mapEntry; nothing is written for an empty list.</summary>
    public static void Metadata(this XmlWriter writer, IReadOnlyList<KeyValuePair<string, string>>? entries)
    {
        if (entries is not { Count: > 0 })
        {
            return;
        }
        writer.WriteStartElement("metadata");
        foreach (var (key, value) in entries.Take(15))
        {
            writer.WriteStartElement("mapEntry");
            writer.WriteElementString("key", key);
            writer.WriteElementString("value", value);
            writer.WriteEndElement();
        }
        writer.WriteEndElement();
    }
}
