"""imu-geo: a geospatial atlas of the history of the Islamic Movement of Uzbekistan."""

__version__ = "0.1.0"
