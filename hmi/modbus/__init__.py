"""Modbus TCP devices as sources of tag values (`kind: modbus`), polled over pymodbus."""
