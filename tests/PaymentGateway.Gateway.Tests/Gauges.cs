using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace PaymentGateway.Gateway.Tests;

/// <summary>Reads the gateway's observable gauges in tests.</summary>
internal static class Gauges
{
    /// <summary>
    /// The current value of gauge <paramref name="name"/> of <paramref name="services"/>' meters only: other tests'
    /// providers publish instruments with the same name. Null when it reported nothing.
    /// </summary>
    public static long? Observe(IServiceProvider services, string name)
    {
        var factory = services.GetRequiredService<IMeterFactory>();
        long? value = null;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == name && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, measurement, _, _) => value = measurement);
        listener.Start();
        listener.RecordObservableInstruments();
        return value;
    }
}
