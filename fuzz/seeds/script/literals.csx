var s = """raw "" text"""; char c = '\''; @"verb ""q"" 
 line"