// A small plant on node-opcua, an OPC-UA stack we did not write, for the interop tests.
//
//   node plant_server.js --port 4841 --pki DIR [--namespaces-before N] [--service-level N] [--conformance]
//                        [--max-select N]
//
// Prints "READY <namespace index>" once it listens. Variables live in namespace urn:openhmi:interop:plant
// (preceded by N dummy namespaces, so a restart can move its index).
"use strict";

const path = require("path");
const opcua = require("node-opcua");

function option(name, fallback) {
    const at = process.argv.indexOf(`--${name}`);
    return at > 0 ? process.argv[at + 1] : fallback;
}

const port = Number(option("port", "4841"));
const pki = option("pki", path.join(__dirname, "pki"));
const namespacesBefore = Number(option("namespaces-before", "0"));
const serviceLevel = Number(option("service-level", "255"));
const conformance = process.argv.includes("--conformance");
// --max-select N: event items selecting more than N fields are refused (a server that sends no events).
const maxSelect = option("max-select", undefined);
const NS = "urn:openhmi:interop:plant";

async function main() {
    const serverCertificateManager = new opcua.OPCUACertificateManager({
        rootFolder: path.join(pki, "server"),
        automaticallyAcceptUnknownCertificate: true,
    });
    await serverCertificateManager.initialize();
    const userCertificateManager = new opcua.OPCUACertificateManager({
        rootFolder: path.join(pki, "user"),
        automaticallyAcceptUnknownCertificate: true,
    });
    await userCertificateManager.initialize();

    const server = new opcua.OPCUAServer({
        port,
        hostname: "127.0.0.1",
        alternateHostname: ["127.0.0.1"],
        serverCertificateManager,
        userCertificateManager,
        securityPolicies: [
            opcua.SecurityPolicy.None,
            opcua.SecurityPolicy.Basic256Sha256,
            opcua.SecurityPolicy.Aes128_Sha256_RsaOaep,
            opcua.SecurityPolicy.Aes256_Sha256_RsaPss,
        ],
        securityModes: [opcua.MessageSecurityMode.None, opcua.MessageSecurityMode.Sign, opcua.MessageSecurityMode.SignAndEncrypt],
        allowAnonymous: true,
        userManager: {
            isValidUser: (user, password) => user === "operator" && password === "interop-pass",
        },
        buildInfo: { productName: "OpenHMI interop plant (node-opcua)" },
        serverInfo: { applicationUri: "urn:openhmi:interop:plant-server" },
        ...(maxSelect ? { serverCapabilities: { maxSelectClauseParameters: Number(maxSelect) } } : {}),
    });
    await server.initialize();

    const addressSpace = server.engine.addressSpace;
    if (conformance) {
        // node-opcua's own address space for the OPC Foundation's conformance tests: every data type.
        const { build_address_space_for_conformance_testing } = require("node-opcua-address-space-for-conformance-testing");
        await build_address_space_for_conformance_testing(addressSpace);
    }
    for (let i = 0; i < namespacesBefore; i++) {
        addressSpace.registerNamespace(`urn:openhmi:interop:filler:${i}`);
    }
    const ns = addressSpace.registerNamespace(NS);
    const plant = ns.addObject({ organizedBy: addressSpace.rootFolder.objects, browseName: "Plant", nodeId: "s=Plant" });

    const started = Date.now();
    const values = {
        Counter: { dataType: "Int32", value: 0 },
        Level: { dataType: "Double", value: 50.0 },
        Setpoint: { dataType: "Double", value: 10.0, writable: true },
        SetpointF: { dataType: "Float", value: 1.5, writable: true },
        Mode: { dataType: "Int16", value: 1, writable: true },
        Big: { dataType: "Int64", value: [0, 1], writable: true },
        UBig: { dataType: "UInt64", value: [0, 1], writable: true },
        Run: { dataType: "Boolean", value: false, writable: true },
        Text: { dataType: "String", value: "idle", writable: true },
        Stamp: { dataType: "DateTime", value: new Date(0), writable: true },
        Blob: { dataType: "ByteString", value: Buffer.from([1, 2, 3, 4]) },
        Ignored: { dataType: "Double", value: 5.0, writable: true, ignoresWrites: true },
    };
    for (const [name, spec] of Object.entries(values)) {
        const variable = ns.addVariable({
            componentOf: plant,
            browseName: name,
            nodeId: `s=${name}`,
            dataType: spec.dataType,
            accessLevel: spec.writable ? "CurrentRead | CurrentWrite" : "CurrentRead",
            userAccessLevel: spec.writable ? "CurrentRead | CurrentWrite" : "CurrentRead",
            minimumSamplingInterval: 50,
            value: spec.ignoresWrites
                ? { get: () => new opcua.Variant({ dataType: "Double", value: 5.0 }), set: () => opcua.StatusCodes.Good }
                : undefined,
        });
        if (!spec.ignoresWrites) {
            variable.setValueFromSource({ dataType: spec.dataType, arrayType: opcua.VariantArrayType.Scalar, value: spec.value });
        }
        values[name].node = variable;
    }
    // Two limit alarms of one source, of one condition name: only their ConditionIds tell them apart.
    addressSpace.installAlarmsAndConditionsService();
    const tank = ns.addObject({
        componentOf: plant,
        browseName: "Tank",
        nodeId: "s=Tank",
        eventSourceOf: addressSpace.rootFolder.objects.server,
    });
    const tankLevel = ns.addVariable({
        componentOf: tank,
        browseName: "TankLevel",
        nodeId: "s=TankLevel",
        dataType: "Double",
        accessLevel: "CurrentRead | CurrentWrite",
        userAccessLevel: "CurrentRead | CurrentWrite",
    });
    tankLevel.setValueFromSource({ dataType: "Double", value: 50 });
    const alarm = (type, key, instantiate, limits) =>
        instantiate.call(ns, type, {
            browseName: key,
            nodeId: `s=Tank.${key}`,
            componentOf: tank,
            conditionSource: tank,
            conditionName: "LevelAlarm",
            inputNode: tankLevel,
            ...limits,
        });
    alarm("ExclusiveLimitAlarmType", "Exclusive", ns.instantiateExclusiveLimitAlarm, {
        highHighLimit: 95, highLimit: 80, lowLimit: 20, lowLowLimit: 5,
    });
    alarm("NonExclusiveLimitAlarmType", "NonExclusive", ns.instantiateNonExclusiveLimitAlarm, {
        highHighLimit: 95, highLimit: 70, lowLimit: 20, lowLowLimit: 5,
    });

    // Counter counts 10 times a second, Level follows a sine: both always change.
    setInterval(() => {
        const t = (Date.now() - started) / 1000;
        values.Counter.node.setValueFromSource({ dataType: "Int32", value: Math.floor(t * 10) });
        values.Level.node.setValueFromSource({ dataType: "Double", value: 50 + 40 * Math.sin(t / 5) });
    }, 100);

    // node-opcua binds ServiceLevel to a constant 255: bind it to ours instead.
    let level = serviceLevel;
    addressSpace.findNode("ns=0;i=2267").bindVariable(
        { get: () => new opcua.Variant({ dataType: opcua.DataType.Byte, value: level }) },
        true,
    );
    process.stdin.on("data", (chunk) => {
        // "service-level N" on stdin: what a redundant server says when it degrades.
        const match = /service-level (\d+)/.exec(chunk.toString());
        if (match) level = Number(match[1]);
    });

    // "event SOURCE SEVERITY MESSAGE" on stdin: the Server object raises a plain SystemEventType event.
    let pending = "";
    process.stdin.on("data", (chunk) => {
        const lines = (pending + chunk.toString()).split("\n");
        pending = lines.pop();
        for (const line of lines) {
            const match = /^event (\S+) (\d+) (.*)$/.exec(line.trim());
            if (!match) continue;
            addressSpace.rootFolder.objects.server.raiseEvent("SystemEventType", {
                sourceName: { dataType: opcua.DataType.String, value: match[1] },
                severity: { dataType: opcua.DataType.UInt16, value: Number(match[2]) },
                message: { dataType: opcua.DataType.LocalizedText, value: { text: match[3] } },
            });
        }
    });

    await server.start();
    console.log(`READY ${ns.index}`);
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
