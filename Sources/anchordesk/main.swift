print("anchordesk")
