// The replay ran that one execution, and it failed the same way.
def xml = new File(basedir, 'target/surefire-reports/TEST-com.example.EchoTest.xml')
assert xml.isFile() : "no Surefire report at ${xml}"
def cases = new groovy.xml.XmlSlurper().parse(xml).testcase
assert cases.size() == 1 : "the replay ran ${cases.size()} test cases"
def seed = new File(basedir, '../replay-seed.txt').text.trim()
def message = cases[0].failure.@message.text() + cases[0].failure.text()
assert message.contains('got back [a line') : message
assert message.contains("seed       ${seed}") : message
return true
