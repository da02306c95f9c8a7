#!/no/such/interpreter -e
echo never
