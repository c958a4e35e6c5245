// The one entry point edge-js calls (assemblyFile + typeName WfpBlockAgent.Bridge.Startup, method Invoke).
//
//   { op: 'start', options..., onMessage: Func<object, Task<object>> } -> { ok } ; messages flow to onMessage
//   { op: 'stop' }      -> { ok, clean }      stops the session off Node's thread (waits at most stopTimeoutMs)
//   { op: 'logInfo', channel } -> { ok, log } oldest/newest record ids, size, retention
//   { op: 'driveMap' } -> { ok, drives }      "C:" -> "\Device\HarddiskVolume3"
//   { op: 'syntheticStats', producer } -> { ok, visits, subscriptions }   (tests and benchmarks only)
//
// Every answer is a plain dictionary and nothing throws back into edge-js: an exception inside an edge
// completion callback ends the Node process, so failures become { ok: false, error }.
using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace WfpBlockAgent.Bridge
{
    public sealed class Startup
    {
        private static readonly object Gate = new object();
        private static BridgeSession _session;

        public async Task<object> Invoke(object input)
        {
            try
            {
                var args = input as IDictionary<string, object> ?? throw new ArgumentException("Expected an object.");
                var op = args.TryGetValue("op", out var o) ? o as string : null;
                switch (op)
                {
                    case "start":
                        return Start(args);
                    case "stop":
                        return await StopAsync().ConfigureAwait(false);
                    case "logInfo":
                        var channel = args.TryGetValue("channel", out var c) && c is string s ? s : "Security";
                        var log = await Task.Run(() => LogReader(args).Read(channel)).ConfigureAwait(false);
                        return new Dictionary<string, object> { ["ok"] = true, ["log"] = Messages.Log(log) };
                    case "syntheticStats":
                        return SyntheticStats(args);
                    case "driveMap":
                        var drives = await Task.Run(() => Platform.DriveMap()).ConfigureAwait(false);
                        var plain = new Dictionary<string, object>();
                        foreach (var pair in drives) plain[pair.Key] = pair.Value;
                        return new Dictionary<string, object> { ["ok"] = true, ["drives"] = plain };
                    default:
                        throw new ArgumentException("op: expected start, stop, logInfo, driveMap or syntheticStats.");
                }
            }
            catch (Exception error)
            {
                return new Dictionary<string, object> { ["ok"] = false, ["error"] = BridgeSession.Describe(error) };
            }
        }

        private static object Start(IDictionary<string, object> args)
        {
            var options = BridgeOptions.From(args);
            var send = args.TryGetValue("onMessage", out var f) ? f as Func<object, Task<object>> : null;
            if (send == null) throw new ArgumentException("onMessage: expected a JS function.");
            var synthetic = Synthetic(args);
            lock (Gate)
            {
                if (_session != null) throw new InvalidOperationException("A session is already running; stop it first.");
                _session = new BridgeSession(options, synthetic ?? Platform.Watcher(), synthetic ?? Platform.LogInfo(), send);
                _session.Start();
            }
            return new Dictionary<string, object> { ["ok"] = true };
        }

        private static async Task<object> StopAsync()
        {
            BridgeSession session;
            lock (Gate)
            {
                session = _session;
                _session = null;
            }
            var clean = session == null || await session.StopAsync().ConfigureAwait(false);
            return new Dictionary<string, object> { ["ok"] = true, ["clean"] = clean };
        }

        private static ILogInfoReader LogReader(IDictionary<string, object> args) => (ILogInfoReader)Synthetic(args) ?? Platform.LogInfo();

        /// <summary>
        /// producer: { kind: 'synthetic', key?, ...SyntheticSpec } (tests and benchmarks without Windows). With a key,
        /// every call naming the same key uses the same simulated log (logInfo, then start, then stats).
        /// </summary>
        private static SyntheticRecordWatcher Synthetic(IDictionary<string, object> args)
        {
            if (!args.TryGetValue("producer", out var p) || !(p is IDictionary<string, object> producer)) return null;
            if (!(producer.TryGetValue("kind", out var k) && k as string == "synthetic")) return null;
            var key = producer.TryGetValue("key", out var kv) ? kv as string : null;
            lock (Gate)
            {
                if (key != null && key == _syntheticKey) return _synthetic;
                var watcher = new SyntheticRecordWatcher(new SyntheticLog(SyntheticSpec.From(producer)));
                if (key != null)
                {
                    _syntheticKey = key;
                    _synthetic = watcher;
                }
                return watcher;
            }
        }

        private static string _syntheticKey;
        private static SyntheticRecordWatcher _synthetic;

        private static object SyntheticStats(IDictionary<string, object> args)
        {
            var watcher = Synthetic(args) ?? throw new ArgumentException("syntheticStats: expected a synthetic producer.");
            return new Dictionary<string, object>
            {
                ["ok"] = true,
                ["visits"] = (double)watcher.Visits,
                ["subscriptions"] = (double)watcher.Starts.Count,
            };
        }
    }
}
