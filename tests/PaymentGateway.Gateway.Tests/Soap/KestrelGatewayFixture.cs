using System.Net;
using System.ServiceModel;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace PaymentGateway.Gateway.Tests.Soap;

/// <summary>
/// The same seeded database and gateway as <see cref="SoapGatewayFixture"/>, but served by Kestrel on a loopback port
/// chosen by the OS: real sockets and real HTTP/1.1, as a WCF client or the Node would meet them.
/// </summary>
public sealed class KestrelGatewayFixture : SoapGatewayFixture
{
    /// <summary>The base address Kestrel listens on, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The paForNode endpoint over real HTTP.</summary>
    public Uri SoapAddress => new(BaseAddress, Gateway.Soap.SoapEndpoint.Path);

    protected override GatewayFactory CreateFactory(IReadOnlyDictionary<string, string?> settings)
    {
        var factory = base.CreateFactory(settings);
        factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        var addresses = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.Single());
        return factory;
    }

    /// <summary>A WCF channel factory for paForNode: BasicHttpBinding (SOAP 1.1, text/xml) to the real endpoint.</summary>
    public ChannelFactory<IPaForNode> ChannelFactory() =>
        new(new BasicHttpBinding { MaxReceivedMessageSize = 1024 * 1024, SendTimeout = TimeSpan.FromSeconds(30) }, new EndpointAddress(SoapAddress));
}
