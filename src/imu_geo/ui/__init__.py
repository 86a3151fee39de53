"""The Streamlit layer: the only code that imports Streamlit, one module per concern.

Pages import the modules they use (``from imu_geo.ui import mapdeck, state``);
nothing is imported here, so a page pays only for what it uses (the pictures and
animations of :mod:`imu_geo.ui.downloads` load matplotlib, for instance).

Each module imports only those before it in this order, never one after:

    reporting -> widgets -> loading -> state -> regions -> player -> mapdeck
    -> upload -> dataset -> sidebar -> downloads -> story -> styles -> viewport
    -> frame

- :mod:`~imu_geo.ui.reporting`: errors logged with a reference, shown without a trace.
- :mod:`~imu_geo.ui.widgets`: tables, captions, download buttons, the event panel.
- :mod:`~imu_geo.ui.loading`: a dataset's store, loaded once and shared.
- :mod:`~imu_geo.ui.state`: the shared filter state and the URL.
- :mod:`~imu_geo.ui.regions`: the region filter, set by a click on a unit.
- :mod:`~imu_geo.ui.player`: Play and the scrubber under a map.
- :mod:`~imu_geo.ui.mapdeck`: the map at any size.
- :mod:`~imu_geo.ui.upload`: the user's own file.
- :mod:`~imu_geo.ui.dataset`: the dataset on screen (atlas, file or both).
- :mod:`~imu_geo.ui.sidebar`: the shared filters in the sidebar.
- :mod:`~imu_geo.ui.downloads`: files, pictures and animations to take away.
- :mod:`~imu_geo.ui.story`: the tour's stop and auto-advance.
- :mod:`~imu_geo.ui.styles`: the style sheet that keeps a phone's screen usable.
- :mod:`~imu_geo.ui.viewport`: the size a map is drawn at, measured in the browser.
- :mod:`~imu_geo.ui.frame`: the frame around every page.
"""
