using System.Net;
using System.Net.Sockets;
using Minsheng.Domain.Notifications;

namespace Minsheng.Silo.Notifications;

/// <summary>
/// The notification client's way of opening connections: it resolves the host itself and connects only to addresses
/// the <see cref="EndpointPolicy"/> allows, to the very address it checked, so a name that resolves inside the network
/// (at once, or after the subscription was made: DNS rebinding) is refused rather than reached.
/// </summary>
public sealed class GuardedConnector(EndpointPolicy policy)
{
    /// <summary>The <see cref="SocketsHttpHandler.ConnectCallback"/>.</summary>
    public async ValueTask<Stream> Connect(SocketsHttpConnectionContext context, CancellationToken cancellation)
    {
        var host = context.DnsEndPoint.Host;
        var port = context.DnsEndPoint.Port;
        var bare = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        var addresses = IPAddress.TryParse(bare, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(bare, cancellation);
        var permitted = addresses.Where(a => policy.MayConnect(bare, a)).ToArray();
        if (permitted.Length == 0)
            throw new EndpointRefusedException(
                $"refused to connect to {bare}: {string.Join(", ", addresses.Select(a => a.ToString()))} is internal and AllowPrivateNetworks is off");
        Exception? last = null;
        foreach (var address in permitted)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), cancellation);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e; // the next address, as the default connect does (localhost: ::1, then 127.0.0.1)
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw last!;
    }
}
