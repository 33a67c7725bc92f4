using System.Net;
using System.Net.Sockets;

namespace Minsheng.Testing;

/// <summary>Loopback ports for servers the tests and the benchmark start.</summary>
public static class Ports
{
    private static readonly Lock Gate = new();
    private static readonly HashSet<int> Recent = [];
    private static readonly Queue<int> RecentOrder = new();
    private const int RecentKept = 512;

    /// <summary>A TCP port that was free on 127.0.0.1 a moment ago (the system's pick, released at once).</summary>
    public static int Free() => Distinct(1)[0];

    /// <summary>
    /// <paramref name="count"/> different ports that were free a moment ago: all listeners are held until every port is
    /// picked, so the system cannot hand one out twice, and none of the last ports this process handed out is repeated
    /// (a silo's port and its gateway's must differ, and a restarted silo must not meet its predecessor's).
    /// </summary>
    public static int[] Distinct(int count)
    {
        var held = new List<TcpListener>();
        try
        {
            lock (Gate)
            {
                var ports = new List<int>(count);
                while (ports.Count < count)
                {
                    var listener = new TcpListener(IPAddress.Loopback, 0);
                    listener.Start();
                    held.Add(listener);
                    var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                    if (!Recent.Add(port)) continue;
                    RecentOrder.Enqueue(port);
                    if (RecentOrder.Count > RecentKept) Recent.Remove(RecentOrder.Dequeue());
                    ports.Add(port);
                }
                return [.. ports];
            }
        }
        finally
        {
            foreach (var listener in held) listener.Stop();
        }
    }
}
