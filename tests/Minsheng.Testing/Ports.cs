using System.Net;
using System.Net.Sockets;

namespace Minsheng.Testing;

/// <summary>Loopback ports for servers the tests and the benchmark start.</summary>
public static class Ports
{
    /// <summary>A TCP port that was free on 127.0.0.1 a moment ago (the system's pick, released at once).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
