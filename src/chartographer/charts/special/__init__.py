"""The renderers with their own small specs: QR codes (segno), TeX (mathtext),
GraphViz (the system ``dot``) and choropleth maps (``geodata`` boundaries).
"""
