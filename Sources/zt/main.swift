print("zt")
