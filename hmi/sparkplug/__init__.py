"""Sparkplug B over MQTT: a headless engine as an edge node, a station's connection as a host.

Edge node (`hmi run PROJECT --headless --publish mqtt://host:port/group`, or `publish:` in project.yaml),
topics under `spBv1.0/GROUP/`:

    NBIRTH/NODE            bdSeq (Int64), Node Control/Rebirth (Boolean); seq 0
    DBIRTH/NODE/CONN       one device per project connection: every tag of it as a metric named as the
                           tag, with its datatype, an alias, the value and the properties engUnit
                           (String), engLow/engHigh (Double, the engineering range), Documentation
                           (String), readOnly (Boolean) and Quality (Int32: 192 Good, 64 Uncertain, 0 Bad)
    DDATA/NODE/CONN        changes by exception, by alias, with their source timestamp (ms); a metric
                           that is not Good carries Quality (and Reason, String) and, when Bad, no value
                           (is_null); one without Quality is Good
    NDEATH/NODE            the MQTT will: bdSeq of the session's NBIRTH
    NCMD/NODE              Node Control/Rebirth = true: NBIRTH and every DBIRTH again, seq from 0
    DCMD/NODE/CONN         a write of a tag: checked against the project's types and write limits,
                           audited, written to the PLC; the value read back then goes out in a DDATA
                           whose metric carries the String property `write`: "confirmed", "refused:
                           REASON" (types, limits, the PLC refused it) or why the read-back differs;
                           a host takes it as the write's answer (the tag's value follows in the edge
                           node's own DDATA, in its source's time order)

seq runs 0..255 and wraps over every message after NBIRTH; bdSeq counts sessions 0..255 and is kept
across restarts in the project's data folder.

The companion device `_alarms` (DBIRTH/DDATA on `spBv1.0/GROUP/D.../NODE/_alarms`) carries the
alarms of the project and what operators did to them, so that a station needs no PLC connection:

    ALARM_ID/state     String   the ISA-18.2 state (normal, unack_active, ack_active, rtn_unack,
                                shelved, suppressed, out_of_service)
    ALARM_ID/active    Boolean
    ALARM_ID/acked     Boolean
    ALARM_ID/priority  String   low, medium, high, critical
    ALARM_ID/message   String
    ALARM_ID/tag       String   the tag the alarm watches
    _actions/last      String   the last operator action, as JSON: {"ts": epoch s, "actor", "action",
                                "alarms": [ids], "comment", "done": [ids] or null, "reason"}

A host acknowledges an alarm with a DCMD on `_alarms`: metric `ALARM_ID/ack` (Boolean true) with the
String properties `actor` and `comment`; the edge node's engine acknowledges it (journaled with who at
the host did it) and its new state follows as DDATA.

A station's connection `kind: sparkplug` (hmi/sparkplug/host.py) subscribes to one edge node and
serves its metrics as tags (node: `DEVICE/METRIC`); with `alarms: true` the edge node's alarms join the
station's alarm summary as `CONNECTION:ALARM_ID`, and acknowledging one there asks the edge node.
"""
