print("custodian")
