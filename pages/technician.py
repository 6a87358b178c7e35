from dashboard import ui

ui.require("technician")
ui.page_header("technician")
