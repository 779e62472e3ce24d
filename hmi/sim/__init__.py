"""The demo-plant simulator behind `hmi sim`: a process model (plant) served over OPC-UA (server)."""
