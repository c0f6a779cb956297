// The Surefire XML of the user's build: the good echo passes on both engines, the buggy one fails
// with its seed, its report folder and the command that replays it.
def xml = new File(basedir, 'target/surefire-reports/TEST-com.example.EchoTest.xml')
assert xml.isFile() : "no Surefire report at ${xml}"
def suite = new groovy.xml.XmlSlurper().parse(xml)
def cases = suite.testcase
assert cases.size() == 3 : "expected 3 test cases, found ${cases.size()}"
// trellis-core and trellis-junit bring neither the CLI nor its libraries
def cp = new groovy.xml.XmlSlurper().parse(new File(basedir, 'target/surefire-reports/TEST-com.example.ClasspathTest.xml'))
assert cp.testcase.size() == 2 && cp.testcase.every { it.failure.size() == 0 && it.error.size() == 0 } : "ClasspathTest did not pass: ${cp.testcase*.failure*.@message}"
def failed = cases.findAll { it.failure.size() > 0 }
assert failed.size() == 1 : "expected one failure, found ${failed.size()}"
def message = failed[0].failure.@message.text() + failed[0].failure.text()
assert message.contains('seed ') : message
def replay = (message =~ /mvn -Dtest=EchoTest#firstChunkEchoAnswersTheWholeLine -Dtrellis\.seed=(\d+) verify/)
assert replay.find() : "no replay command in: ${message}"
def seed = replay.group(1)
def report = (message =~ /report     (\S+) /)
assert report.find() : "no report folder in: ${message}"
assert new File(basedir, report.group(1) + '/report.md').isFile() || new File(report.group(1) + '/report.md').isFile()
// the replay the message prints: written for the replay project to check
new File(basedir, '../replay-seed.txt').text = seed
return true
